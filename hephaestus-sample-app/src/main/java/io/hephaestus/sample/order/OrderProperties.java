package io.hephaestus.sample.order;

import java.time.Duration;
import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the sample, bound from {@code sample.*}.
 *
 * @param shipWait how long a shipped order cools down before the customer is notified
 * @param maxBodySize largest request body the sample's HTTP server accepts; a larger one is
 * answered 413 before it is read whole
 */
@ConfigurationProperties("sample")
public record OrderProperties(@DefaultValue("1s") Duration shipWait, @DefaultValue("1MB") DataSize maxBodySize) {

    /**
     * Validate the settings.
     */
    public OrderProperties {
        Objects.requireNonNull(shipWait, "sample.ship-wait");
        Objects.requireNonNull(maxBodySize, "sample.max-body-size");
        if (shipWait.isNegative()) {
            throw new IllegalArgumentException("sample.ship-wait must not be negative, got " + shipWait);
        }
        if (maxBodySize.toBytes() <= 0) {
            throw new IllegalArgumentException("sample.max-body-size must be positive, got " + maxBodySize);
        }
    }
}
