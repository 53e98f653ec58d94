package io.ingestnotify.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small SMTP server for several senders (one port each), which counts what it accepts by the digest's batch id
 * ("Batch ID: …" in the text part) and can misbehave as real servers do:
 * <ul>
 * <li>refuses (451, after DATA) the first {@code refusals} attempts of every digest to a recipient in {@code flaky};</li>
 * <li>{@link #hold(int)}: a port's sessions wait before the answer to their DATA; a session whose sender dies while
 *     it waits is never accepted (as with any SMTP server, a mail counts once the server says 250).</li>
 * <li>{@link #answerRcpt(String, String)} / {@link #answerData(String, String)}: a recipient's {@code RCPT TO}, or the
 *     end of data of a mail to it, answered with a given reply every time ({@code 550 5.1.1 user unknown},
 *     {@code 554 5.7.1 refused}, {@code 451 4.3.0 …}); {@link #scriptedAnswers(String)} counts them.</li>
 * </ul>
 * GreenMail cannot refuse per recipient and attempt, hence this.
 */
public final class FlakySmtp implements AutoCloseable {

    private static final Pattern BATCH_ID = Pattern.compile("Batch ID: ([0-9a-f-]{36})");

    private final Set<String> flaky;
    private final int refusals;
    private final List<ServerSocket> servers = new ArrayList<>();
    private final Set<Socket> sessions = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
    private final Map<String, Integer> acceptedOnPort = new ConcurrentHashMap<>();
    private final Set<Integer> held = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final Map<String, String> rcptAnswers = new ConcurrentHashMap<>();
    private final Map<String, String> dataAnswers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> scripted = new ConcurrentHashMap<>();

    public FlakySmtp(Set<String> flaky, int refusals, int ports) throws IOException {
        this.flaky = flaky;
        this.refusals = refusals;
        for (int i = 0; i < ports; i++) {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            servers.add(s);
            Thread t = new Thread(() -> accept(s), "flaky-smtp-" + s.getLocalPort());
            t.setDaemon(true);
            t.start();
        }
    }

    public int port(int i) {
        return servers.get(i).getLocalPort();
    }

    /** How many times each batch's digest was accepted (250 after DATA). */
    public Map<String, Integer> acceptedByBatch() {
        Map<String, Integer> out = new ConcurrentHashMap<>();
        accepted.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** The batches whose digest was accepted from a port's sender. */
    public Set<String> acceptedOn(int port) {
        Set<String> out = ConcurrentHashMap.newKeySet();
        acceptedOnPort.forEach((batch, p) -> {
            if (p == port) {
                out.add(batch);
            }
        });
        return out;
    }

    public int refused() {
        return refused.get();
    }

    /** Sessions waiting for their answer to DATA on held ports. */
    public int waiting() {
        return waiting.get();
    }

    /** A port's sessions from now on wait before the answer to DATA, until {@link #release(int)}. */
    public void hold(int port) {
        held.add(port);
    }

    public void release(int port) {
        held.remove(port);
    }

    /** Every {@code RCPT TO} for this address is answered with this reply (such as {@code 550 5.1.1 user unknown}). */
    public void answerRcpt(String address, String reply) {
        rcptAnswers.put(address.toLowerCase(), reply);
    }

    /** Every mail to this address is answered with this reply at its end of data (such as {@code 554 5.7.1 refused}). */
    public void answerData(String address, String reply) {
        dataAnswers.put(address.toLowerCase(), reply);
    }

    /** How many times a scripted reply was given for this address (RCPT TO and DATA together). */
    public int scriptedAnswers(String address) {
        AtomicInteger n = scripted.get(address.toLowerCase());
        return n == null ? 0 : n.get();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket c = s.accept();
                sessions.add(c);
                Thread t = new Thread(() -> session(c, s.getLocalPort()), "flaky-smtp-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                // closed
            }
        }
    }

    private void session(Socket c, int port) {
        try (c; BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.ISO_8859_1));
             OutputStream out = c.getOutputStream()) {
            c.setSoTimeout(120_000);
            reply(out, "220 flaky-smtp ready");
            List<String> recipients = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                String cmd = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                switch (cmd) {
                    case "EHLO", "HELO" -> reply(out, "250 flaky-smtp");
                    case "MAIL" -> {
                        recipients.clear();
                        reply(out, "250 OK");
                    }
                    case "RCPT" -> {
                        String to = address(line);
                        String answer = rcptAnswers.get(to);
                        if (answer != null) {
                            scripted.computeIfAbsent(to, k -> new AtomicInteger()).incrementAndGet();
                            reply(out, answer);
                        } else {
                            recipients.add(to);
                            reply(out, "250 OK");
                        }
                    }
                    case "DATA" -> {
                        if (recipients.isEmpty()) {
                            reply(out, "554 5.5.1 no valid recipients");
                            continue;
                        }
                        reply(out, "354 end with <CRLF>.<CRLF>");
                        StringBuilder data = new StringBuilder();
                        String d;
                        while ((d = in.readLine()) != null && !d.equals(".")) {
                            data.append(d.startsWith("..") ? d.substring(1) : d).append('\n');
                        }
                        if (d == null) {
                            return;
                        }
                        reply(out, decide(port, recipients, data.toString(), c));
                    }
                    case "RSET", "NOOP" -> reply(out, "250 OK");
                    case "QUIT" -> {
                        reply(out, "221 bye");
                        return;
                    }
                    default -> reply(out, "502 not implemented");
                }
            }
        } catch (IOException e) {
            // the sender went away
        } finally {
            sessions.remove(c);
        }
    }

    private String decide(int port, List<String> recipients, String data, Socket c) throws IOException {
        Matcher m = BATCH_ID.matcher(data);
        String batch = m.find() ? m.group(1) : "unknown";
        for (String to : recipients) {
            String answer = dataAnswers.get(to);
            if (answer != null) {
                scripted.computeIfAbsent(to, k -> new AtomicInteger()).incrementAndGet();
                return answer;
            }
        }
        boolean isFlaky = recipients.stream().anyMatch(flaky::contains);
        if (isFlaky && attempts.computeIfAbsent(batch, k -> new AtomicInteger()).incrementAndGet() <= refusals) {
            refused.incrementAndGet();
            return "451 4.3.0 try again later";
        }
        if (held.contains(port)) {
            waiting.incrementAndGet();
            try {
                c.setSoTimeout(50);
                while (held.contains(port)) {
                    // The sender says nothing until it has our answer: end of stream means it died (or gave up).
                    try {
                        if (c.getInputStream().read() < 0) {
                            throw new IOException("sender gone while held");
                        }
                    } catch (java.net.SocketTimeoutException stillThere) {
                        // still waiting for us
                    }
                }
                c.setSoTimeout(120_000);
            } finally {
                waiting.decrementAndGet();
            }
        }
        accepted.computeIfAbsent(batch, k -> new AtomicInteger()).incrementAndGet();
        acceptedOnPort.put(batch, port);
        return "250 OK queued";
    }

    private static String address(String line) {
        int lt = line.indexOf('<');
        int gt = line.indexOf('>');
        return (lt >= 0 && gt > lt ? line.substring(lt + 1, gt) : line.substring(line.indexOf(':') + 1)).trim().toLowerCase();
    }

    private static void reply(OutputStream out, String s) throws IOException {
        out.write((s + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() {
        for (ServerSocket s : servers) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        for (Socket c : sessions) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
