package io.ingestnotify.intake;

import java.util.Locale;
import java.util.Set;




/**
 * RECIPIENT_DOMAINS: the domains digests may be sent to. Exact match, case-insensitive: "example.com" does not let
 * mail go to "mail.example.com" (list it too), so a look-alike subdomain never widens the list. Empty: any domain.
 */
public final class RecipientDomains {

    private static final RecipientDomains ANY = new RecipientDomains(Set.of());

    private final Set<String> domains;

    private RecipientDomains(Set<String> domains) {
        this.domains = domains;
    }

    public static RecipientDomains any() {
        return ANY;
    }

    /** The domains of RECIPIENT_DOMAINS, checked and lower-cased by Settings; none: any. */
    public static RecipientDomains of(java.util.List<String> domains) {
        return domains.isEmpty() ? ANY : new RecipientDomains(Set.copyOf(domains));
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
