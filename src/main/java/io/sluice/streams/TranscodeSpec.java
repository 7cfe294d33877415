package io.sluice.streams;

import java.util.List;
import java.util.Map;

/**
 * How a transcoded stream is transcoded: the profile's name ({@code custom} for raw arguments), the variables
 * given, and the FFmpeg arguments that go between the input and the output, already rendered and checked.
 */
public record TranscodeSpec(String profile, Map<String, String> variables, List<String> arguments) {
    public TranscodeSpec {
        variables = Map.copyOf(variables);
        arguments = List.copyOf(arguments);
    }
}
