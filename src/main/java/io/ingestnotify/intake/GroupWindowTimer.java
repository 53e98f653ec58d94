package io.ingestnotify.intake;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.AbstractExecutorService;

/**
 * The group-commit aggregator's timeout checker (its timeoutCheckerExecutorService): Camel's timeout map asks for a
 * check every millisecond for ever; this keeps that task and runs it only while a group is open
 * ({@link #groupOpened()} .. {@link #groupClosed()}, told by {@link IntakeGroupStrategy}), so an idle bundle does not
 * tick. A lone request still waits at most about the window: the first check is due one interval after its group opens.
 */
public class GroupWindowTimer extends AbstractExecutorService implements ScheduledExecutorService {

    private final ScheduledExecutorService delegate;
    private final AtomicLong checks = new AtomicLong();
    private Runnable check;
    private long interval;
    private TimeUnit unit;
    private int openGroups;
    private ScheduledFuture<?> ticking;

    public GroupWindowTimer(ScheduledExecutorService delegate) {
        this.delegate = delegate;
    }

    /** Keeps the timeout map's check; it runs while a group is open. */
    @Override
    public synchronized ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        stopTicking();
        this.check = command;
        this.interval = delay;
        this.unit = unit;
        if (openGroups > 0) {
            startTicking();
        }
        return new KeptCheck(command);
    }

    public synchronized void groupOpened() {
        openGroups++;
        if (ticking == null && check != null) {
            startTicking();
        }
    }

    /** Ticking stops at the next check that finds no group open. */
    public synchronized void groupClosed() {
        openGroups = Math.max(0, openGroups - 1);
    }

    /** Checks run so far (tests: none while idle). */
    public long checks() {
        return checks.get();
    }

    /** Whether the check is scheduled (a group is open, or the last one closed less than a check ago). */
    public synchronized boolean ticking() {
        return ticking != null;
    }

    private void startTicking() {
        ticking = delegate.scheduleWithFixedDelay(this::tick, interval, interval, unit);
    }

    private void stopTicking() {
        if (ticking != null) {
            ticking.cancel(false);
            ticking = null;
        }
    }

    private void tick() {
        Runnable task;
        synchronized (this) {
            task = check;
        }
        if (task != null) {
            checks.incrementAndGet();
            task.run();
        }
        synchronized (this) {
            if (openGroups == 0 || check == null) {
                stopTicking();
            }
        }
    }

    /** What the timeout map holds: cancelling it (the route stops) forgets the check. */
    private final class KeptCheck implements ScheduledFuture<Object> {
        private final Runnable command;
        private volatile boolean cancelled;

        KeptCheck(Runnable command) {
            this.command = command;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            synchronized (GroupWindowTimer.this) {
                if (check == command) {
                    check = null;
                    stopTicking();
                }
            }
            cancelled = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return cancelled;
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException("a periodic check has no result");
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException("a periodic check has no result");
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return 0;
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }
    }

    // Anything else is the delegate's.

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return delegate.schedule(command, delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return delegate.schedule(callable, delay, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return delegate.scheduleAtFixedRate(command, initialDelay, period, unit);
    }

    @Override
    public void execute(Runnable command) {
        delegate.execute(command);
    }

    @Override
    public void shutdown() {
        delegate.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        return delegate.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return delegate.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return delegate.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return delegate.awaitTermination(timeout, unit);
    }
}
