package io.hephaestus.sample.web;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import io.hephaestus.sample.order.OrderProperties;

/**
 * Registers the request limits filter and, on Tomcat, the problem details error report valve.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration {

    @Bean
    FilterRegistrationBean<RequestLimitsFilter> requestLimitsFilter(OrderProperties properties) {
        FilterRegistrationBean<RequestLimitsFilter> registration = new FilterRegistrationBean<>(
                new RequestLimitsFilter(properties.maxBodySize()));
        // Before every filter that may read the body (Spring's FormContentFilter among them).
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    /**
     * Tomcat's part, kept apart so the application still starts on another servlet container.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.apache.catalina.valves.ErrorReportValve")
    static class TomcatConfiguration {

        @Bean
        ProblemErrorReportValveCustomizer problemErrorReportValveCustomizer() {
            return new ProblemErrorReportValveCustomizer();
        }
    }
}
