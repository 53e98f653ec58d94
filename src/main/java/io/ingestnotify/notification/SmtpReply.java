package io.ingestnotify.notification;

import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.MessagingException;
import org.apache.camel.Exchange;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

/**
 * What the SMTP server answered to a failed send, read from the exceptions Jakarta Mail (Angus) throws through
 * camel-mail: {@code SMTPAddressFailedException} for {@code RCPT TO}, {@code SMTPSendFailedException} for {@code DATA}
 * (and the end of data), {@code SMTPSenderFailedException} for {@code MAIL FROM}, each with {@code getReturnCode()}
 * and the reply as its message, often chained under a {@code SendFailedException}. A connection failure carries no
 * reply ({@code code} 0).
 *
 * <p>Only a 5xx to {@code RCPT TO} or {@code DATA} is final; a 4xx, a 5xx to anything else (a server that is
 * misconfigured, not a recipient refused) and a connection failure are transient. The enhanced status (RFC 3463,
 * {@code class.subject.detail}) is read from the reply text when the server gives one.
 */
public record SmtpReply(int code, String enhancedStatus, String command, String text) {

    private static final Pattern ENHANCED = Pattern.compile("(?<![0-9.])([245])\\.([0-9]{1,3})\\.([0-9]{1,3})(?![0-9.])");
    private static final SmtpReply NONE = new SmtpReply(0, null, null, null);

    /** The reply behind a failed attempt ({@code code} 0 when there was none: no connection, a time-out, a local error). */
    public static SmtpReply of(Throwable error) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        SmtpReply found = NONE;
        for (Throwable t = error; t != null && seen.put(t, true) == null; t = next(t)) {
            SmtpReply reply = read(t);
            // The address's own reply beats the summary a SendFailedException wraps around it.
            if (reply != null && (found == NONE || t instanceof SMTPAddressFailedException)) {
                found = reply;
            }
        }
        return found;
    }

    /** The reply behind the exchange's failure (during onWhen the exception is still the exchange's own). */
    public static SmtpReply of(Exchange exchange) {
        Throwable error = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return of(error);
    }

    /** A 5xx to RCPT TO or DATA: the recipient or the message is refused for good; no server will take it on retry. */
    public boolean permanent() {
        return code >= 500 && code < 600 && ("RCPT TO".equals(command) || "DATA".equals(command));
    }

    /** RFC 3463 class 5, subject 1 (addressing: bad mailbox, bad system, bad syntax): the address cannot receive mail. */
    public boolean badMailbox() {
        return permanent() && enhancedStatus != null && enhancedStatus.startsWith("5.1.");
    }

    /** One line for a log, the retry log and the ops page: {@code 550 5.1.1 user unknown (RCPT TO)}. */
    public String describe() {
        if (code == 0) {
            return null;
        }
        return (text == null || text.isBlank() ? String.valueOf(code) : text.strip()) + " (" + command + ")";
    }

    private static SmtpReply read(Throwable t) {
        if (t instanceof SMTPAddressFailedException a) {
            return reply(a.getReturnCode(), "RCPT TO", a.getMessage());
        }
        if (t instanceof SMTPSenderFailedException s) {
            return reply(s.getReturnCode(), "MAIL FROM", s.getMessage());
        }
        if (t instanceof SMTPSendFailedException s) {
            // Angus names the command it was sending when the reply came; the end of data is "." (still DATA).
            String command = s.getCommand() == null ? "DATA" : s.getCommand().strip().toUpperCase(Locale.ROOT);
            if (command.equals(".") || command.startsWith("DATA")) {
                command = "DATA";
            } else if (command.startsWith("MAIL")) {
                command = "MAIL FROM";
            } else if (command.startsWith("RCPT")) {
                command = "RCPT TO";
            }
            return reply(s.getReturnCode(), command, s.getMessage());
        }
        return null;
    }

    private static SmtpReply reply(int code, String command, String text) {
        if (code <= 0) {
            return null;
        }
        String line = text == null ? "" : text.strip();
        Matcher m = ENHANCED.matcher(line);
        // RFC 3463: the enhanced status's class matches the reply code's first digit.
        String enhanced = m.find() && m.group(1).charAt(0) == Integer.toString(code).charAt(0) ? m.group() : null;
        return new SmtpReply(code, enhanced, command, line.length() > 1000 ? line.substring(0, 1000) : line);
    }

    private static Throwable next(Throwable t) {
        if (t instanceof MessagingException m && m.getNextException() != null) {
            return m.getNextException();
        }
        return t.getCause();
    }
}
