package io.sluice.streams;

import java.util.List;
import java.util.Map;

/**
 * How a transcoded stream is transcoded: the profile's name ({@code custom} for raw arguments), the variables
 * given, the FFmpeg arguments that go between the input and the output and those that go before the input, already
 * rendered and checked, and the HLS output asked for ({@code -f hls}; null: MPEG-TS).
 */
public record TranscodeSpec(String profile, Map<String, String> variables, List<String> arguments,
                            List<String> inputArguments, HlsOutput hls) {
    public TranscodeSpec {
        variables = Map.copyOf(variables);
        arguments = List.copyOf(arguments);
        // Stored before input options existed: none.
        inputArguments = inputArguments == null ? List.of() : List.copyOf(inputArguments);
    }

    /** HLS output: segments of about {@code segmentSeconds}, a live window of {@code listSize} segments. */
    public record HlsOutput(int segmentSeconds, int listSize) {
    }
}
