package io.hephaestus.sample.order;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the sample's order workflow, bound from {@code sample.*}.
 *
 * @param shipWait how long a shipped order cools down before the customer is notified
 */
@ConfigurationProperties("sample")
public record OrderProperties(@DefaultValue("1s") Duration shipWait) {
}
