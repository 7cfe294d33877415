package io.sluice.streams;

public record Message(String message) {
}
