package io.gatehouse.as.web;

import com.nimbusds.oauth2.sdk.ErrorObject;
import net.minidev.json.JSONObject;

/** OAuth error responses (RFC 6749 section 5.2) rendered from Nimbus error objects, which carry their status. */
public final class OAuthErrors {

    private OAuthErrors() {
    }

    public static AsResponse json(ErrorObject error) {
        JSONObject body = new JSONObject();
        body.put("error", error.getCode());
        if (error.getDescription() != null) {
            body.put("error_description", error.getDescription());
        }
        int status = error.getHTTPStatusCode() > 0 ? error.getHTTPStatusCode() : 400;
        AsResponse response = AsResponse.json(status, AsJson.write(body));
        return status == 401 ? response.withHeader("WWW-Authenticate", "Basic realm=\"gatehouse\"") : response;
    }
}
