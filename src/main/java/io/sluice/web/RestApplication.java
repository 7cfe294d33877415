package io.sluice.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The management API lives at the context root; the player servlets take their longer prefixes first. */
@ApplicationPath("/")
public class RestApplication extends Application {
}
