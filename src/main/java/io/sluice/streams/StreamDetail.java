package io.sluice.streams;

import java.util.List;

public record StreamDetail(StreamStats stream, List<ClientStats> clients, int clientCount) {
}
