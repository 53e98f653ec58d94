package io.ingestnotify.config;

import java.net.URI;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.ingestnotify.intake.EventParser;



/** Parses settings and refuses bad ones at start-up with a message naming the environment variable and property. */
public final class Settings {

    private Settings() {
    }

    public static int integer(String name, String value, int min, int max) {
        try {
            int i = Integer.parseInt(value.trim());
            if (i >= min && i <= max) {
                return i;
            }
        } catch (NumberFormatException | NullPointerException e) {
            // reported below
        }
        throw invalid(name, value, "an integer from " + min + " to " + max);
    }

    public static boolean bool(String name, String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        throw invalid(name, value, "true or false");
    }

    public static TimeUnit delayUnit(String name, String value) {
        String v = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
        if (v.equals("MINUTES") || v.equals("SECONDS") || v.equals("MILLISECONDS")) {
            return TimeUnit.valueOf(v);
        }
        throw invalid(name, value, "MINUTES, SECONDS or MILLISECONDS");
    }

    public static String email(String name, String value, boolean optional) {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty() && optional) {
            return "";
        }
        if (EventParser.EMAIL.matcher(v).matches()) {
            return v;
        }
        throw invalid(name, value, "an email address");
    }

    /** An http(s) URL without a trailing slash, or empty when the system is not configured. */
    public static String url(String name, String value) {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty()) {
            return "";
        }
        try {
            URI uri = URI.create(v);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw invalid(name, value, "an http(s) URL");
    }

    /**
     * The instance's id on every claim, log line and metric label: as given (letters, digits and . _ - : @, up to
     * 100), or the host name and pid when empty.
     */
    public static String instanceId(String name, String value) {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty()) {
            String host;
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "localhost";
            }
            v = host.replaceAll("[^A-Za-z0-9._:@-]", "_") + "-" + ProcessHandle.current().pid();
            return v.length() > 100 ? v.substring(v.length() - 100) : v;
        }
        if (v.length() <= 100 && v.matches("[A-Za-z0-9._:@-]+")) {
            return v;
        }
        throw invalid(name, value, "up to 100 letters, digits and . _ - : @ (empty: host name and pid)");
    }

    /** Names the environment variable and, for a guest in a host's context, the property key that sets it too. */
    public static IllegalArgumentException invalid(String name, String value, String expected) {
        String key = GuestDefaults.keyOf(name);
        return new IllegalArgumentException("Invalid setting " + name + "='" + value + "': expected " + expected
                + (key != null ? " (property " + key + ")" : ""));
    }
}
