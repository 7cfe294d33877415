package io.sluice.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;
import java.io.IOException;

/**
 * The container's error page (web.xml maps every status and exception here): errors the container answers
 * itself — a URI it will not decode, TRACE, an exception outside JAX-RS — get the API's {@code {"detail"}}
 * body instead of Tomcat's HTML page, which names the server and its version. The reason phrase only: the
 * container's message may quote the request.
 */
@WebServlet(urlPatterns = ErrorPageServlet.PATH)
public class ErrorPageServlet extends HttpServlet {
    static final String PATH = "/_sluice/error";

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Object code = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 404; // asked for directly: there is nothing here
        if (resp.isCommitted()) {
            return;
        }
        resp.resetBuffer();
        ServletProblems.send(resp, status, reason(status));
    }

    static String reason(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return known != null ? known.getReasonPhrase() : "HTTP " + status;
    }
}
