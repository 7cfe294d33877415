package io.sluice.config;

/** A setting whose value cannot be used; the message names the setting so start-up logs say what to fix. */
public class InvalidSettingException extends RuntimeException {
    public InvalidSettingException(String setting, String value, String expected) {
        super("Invalid setting " + setting + "=" + quote(setting, value) + ": expected " + expected);
    }

    private static String quote(String setting, String value) {
        // Never echo a secret back into a log line.
        // REDIS_URL may carry a password.
        return setting.equals("API_TOKEN") || setting.equals("SEGMENT_SIGNING_KEY") || setting.equals("REDIS_URL")
                ? "<hidden>" : "'" + value + "'";
    }
}
