package io.ingestnotify;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import io.ingestnotify.notification.UnsubscribeTokens;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The one-click link's token: signed, verified by any current secret, refused when forged or altered. */
class UnsubscribeTokensTest {

    private static final String OLD = "old-secret-0123456789-0123456789-abc";
    private static final String NEW = "new-secret-0123456789-0123456789-xyz";

    @Test
    void aTokenNamesCompanyBotAndAddress() {
        UnsubscribeTokens tokens = new UnsubscribeTokens(List.of(NEW), "https://notify.example.com", "");
        String token = tokens.sign(7, 9, "Ana@Example.com");
        assertThat(tokens.verify(token)).contains(new UnsubscribeTokens.Recipient(7, 9, "ana@example.com"));
        assertThat(tokens.url(7, 9, "ana@example.com")).isEqualTo("https://notify.example.com/unsubscribe/" + token);
        assertThat(tokens.listUnsubscribe(7, 9, "ana@example.com")).isEqualTo("<https://notify.example.com/unsubscribe/" + token + ">");
        assertThat(UnsubscribeTokens.id(token)).matches("tok-[0-9a-f]{12}").doesNotContain(token);
    }

    @Test
    void rotationTheNewSecretSignsAndTheOldOneStillVerifies() {
        String mailedBefore = new UnsubscribeTokens(List.of(OLD), "https://n.example.com", "").sign(1, 2, "a@example.com");
        UnsubscribeTokens rotated = new UnsubscribeTokens(List.of(NEW, OLD), "https://n.example.com", "");
        assertThat(rotated.verify(mailedBefore)).contains(new UnsubscribeTokens.Recipient(1, 2, "a@example.com"));
        String fresh = rotated.sign(1, 2, "a@example.com");
        assertThat(new UnsubscribeTokens(List.of(NEW), "https://n.example.com", "").verify(fresh)).isPresent();
        assertThat(new UnsubscribeTokens(List.of(OLD), "https://n.example.com", "").verify(fresh)).isEmpty();
    }

    @Test
    void aForgedOrAlteredTokenIsRefused() {
        UnsubscribeTokens tokens = new UnsubscribeTokens(List.of(NEW), "https://n.example.com", "");
        String token = tokens.sign(1, 2, "a@example.com");
        String signature = token.substring(token.indexOf('.') + 1);
        // another address with the same signature
        String otherPayload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("v1:1:2:b@example.com".getBytes(StandardCharsets.UTF_8));
        assertThat(tokens.verify(otherPayload + "." + signature)).isEmpty();
        // one character of the signature changed
        char last = token.charAt(token.length() - 1);
        assertThat(tokens.verify(token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A'))).isEmpty();
        // signed with a secret the service does not have
        assertThat(tokens.verify(new UnsubscribeTokens(List.of(OLD), "https://n.example.com", "").sign(1, 2, "a@example.com"))).isEmpty();
        assertThat(tokens.verify("")).isEmpty();
        assertThat(tokens.verify("no-dot")).isEmpty();
        assertThat(tokens.verify("a.b.c")).isEmpty();
        assertThat(tokens.verify("%%%.***")).isEmpty();
    }

    @Test
    void theMailtoAddressFollowsTheLink() {
        UnsubscribeTokens tokens = new UnsubscribeTokens(List.of(NEW), "https://n.example.com", "unsubscribe@example.com");
        String token = tokens.sign(1, 2, "a@example.com");
        assertThat(tokens.listUnsubscribe(1, 2, "a@example.com")).isEqualTo("<https://n.example.com/unsubscribe/" + token
                + ">, <mailto:unsubscribe@example.com?subject=unsubscribe%20" + token + ">");
    }

    @Test
    void noLinkWithoutAPublicUrl() {
        assertThat(new UnsubscribeTokens(List.of(NEW), "", "").enabled()).isFalse();
        assertThat(new UnsubscribeTokens(List.of(NEW), "", "").url(1, 2, "a@example.com")).isEmpty();
    }
}
