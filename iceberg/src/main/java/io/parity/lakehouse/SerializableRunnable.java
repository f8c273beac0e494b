package io.parity.lakehouse;

import java.io.Serializable;

/** A {@link Runnable} that Beam can ship to workers, e.g. a hook run before a commit. */
@FunctionalInterface
public interface SerializableRunnable extends Runnable, Serializable {}
