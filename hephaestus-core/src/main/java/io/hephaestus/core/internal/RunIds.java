package io.hephaestus.core.internal;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The runners' default run ids.
 */
public final class RunIds {

    private RunIds() {
    }

    /**
     * Return a random version-4 UUID from {@link ThreadLocalRandom}, which, unlike
     * {@link UUID#randomUUID()}, takes no lock shared by every thread: unique, not meant to be
     * unguessable.
     * @return the UUID as text
     */
    public static String random() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long mostSignificant = (random.nextLong() & ~0xF000L) | 0x4000L;
        long leastSignificant = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(mostSignificant, leastSignificant).toString();
    }
}
