package io.sluice.streams;

import java.util.List;

public record StreamList(List<StreamStats> streams, int total) {
}
