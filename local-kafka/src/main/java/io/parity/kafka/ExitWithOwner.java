package io.parity.kafka;

import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Main class of owned broker JVMs: runs the given main class, and exits when the owner process
 * exits, even if the owner was killed with SIGKILL (which skips its shutdown hooks).
 *
 * <p>Arguments: {@code <owner pid> <main class> <main class arguments...>}. Only JDK classes are
 * used, and no nested classes, because this class file is copied alone onto the broker's classpath
 * (the jar holding it may carry other Kafka versions).
 */
public final class ExitWithOwner {
  // Kafka's shutdown hook stops the broker gracefully; this bounds how long that may take.
  private static final long HALT_AFTER_MILLIS = 20_000;

  private ExitWithOwner() {}

  public static void main(String[] args) throws Throwable {
    if (args.length < 2) {
      throw new IllegalArgumentException(
          "usage: ExitWithOwner <owner pid> <main class> [arguments...], got "
              + Arrays.toString(args));
    }
    long ownerPid = Long.parseLong(args[0]);
    Optional<ProcessHandle> owner = ProcessHandle.of(ownerPid).filter(ProcessHandle::isAlive);
    if (owner.isEmpty()) {
      System.err.println("Owner process " + ownerPid + " is gone; not starting " + args[1]);
      System.exit(1);
    }
    // onExit of a non-child polls (at most every 5 s) and notices pid reuse by start time.
    owner
        .get()
        .onExit()
        .thenRun(
            () -> {
              System.err.println("Owner process " + ownerPid + " exited; stopping " + args[1]);
              Thread halt =
                  new Thread(
                      () -> {
                        sleepQuietly(HALT_AFTER_MILLIS);
                        Runtime.getRuntime().halt(2);
                      },
                      "halt-after-owner-exit");
              halt.setDaemon(true);
              halt.start();
              System.exit(0);
            });

    try {
      Class.forName(args[1])
          .getMethod("main", String[].class)
          .invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      // Interrupted means the JVM is going down anyway: halt at once.
      Thread.currentThread().interrupt();
    }
  }
}
