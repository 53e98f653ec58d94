package io.ingestnotify.config;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

/**
 * Every CMS and Chroma call (bound as {@code noHiddenRetries}, each http endpoint's httpClientConfigurer) is sent
 * once: Apache HttpClient would otherwise resend an idempotent request (a DELETE, a PUT) by itself after an I/O error
 * or a 503, past the lease check that the route makes right before each delete. The routes' own redelivery retries,
 * and it checks the lease again first.
 */
public class NoHiddenRetries implements HttpClientConfigurer {

    @Override
    public void configureHttpClient(HttpClientBuilder clientBuilder) {
        clientBuilder.disableAutomaticRetries();
    }
}
