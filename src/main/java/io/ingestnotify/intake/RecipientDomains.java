package io.ingestnotify.intake;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.ingestnotify.config.Settings;



/**
 * RECIPIENT_DOMAINS: the domains digests may be sent to. Exact match, case-insensitive: "example.com" does not let
 * mail go to "mail.example.com" (list it too), so a look-alike subdomain never widens the list. Empty: any domain.
 */
public final class RecipientDomains {

    private static final Pattern DOMAIN = Pattern.compile("(?i)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+");
    private static final RecipientDomains ANY = new RecipientDomains(Set.of());

    private final Set<String> domains;

    private RecipientDomains(Set<String> domains) {
        this.domains = domains;
    }

    public static RecipientDomains any() {
        return ANY;
    }

    /** Parses the setting; a malformed entry stops start-up naming RECIPIENT_DOMAINS. */
    public static RecipientDomains parse(String value) {
        if (value == null || value.isBlank()) {
            return ANY;
        }
        Set<String> domains = Arrays.stream(value.split(",")).map(String::trim).map(d -> d.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        if (domains.stream().anyMatch(d -> !DOMAIN.matcher(d).matches())) {
            throw Settings.invalid("RECIPIENT_DOMAINS", value, "comma-separated domain names, such as example.com,example.org");
        }
        return new RecipientDomains(domains);
    }

    /** True when the address may receive digests: no list, or its domain (after the last @) is on it. */
    public boolean allows(String email) {
        if (domains.isEmpty()) {
            return true;
        }
        int at = email.lastIndexOf('@');
        return at >= 0 && domains.contains(email.substring(at + 1).trim().toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return domains.isEmpty() ? "any domain" : String.join(",", domains.stream().sorted().toList());
    }
}
