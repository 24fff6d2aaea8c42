package io.hephaestus.sample.order;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.steps.Done;
import io.hephaestus.core.steps.Wait;

/**
 * Declares the steps of the {@code order} workflow and the workflow itself as beans; the
 * Hephaestus starter registers every {@link Workflow} bean with the runner.
 *
 * <pre>
 * validate_order -valid-> charge_payment ~payment_confirmed~> ship_order -shipped-> cooldown -timeout-> notify_customer -> done
 *                -valid-> reserve_inventory -reserved-------> ship_order
 *                -invalid-> reject_order -rejected-> done
 * </pre>
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OrderProperties.class)
class OrderWorkflowConfiguration {

    /** The workflow name. */
    static final String ORDER = "order";

    /** The business key: instance ids are {@code orderid::<orderId>}. */
    static final String BUSINESS_KEY = "orderid";

    @Bean
    ValidateOrder validateOrder() {
        return new ValidateOrder();
    }

    @Bean
    ChargePayment chargePayment() {
        return new ChargePayment();
    }

    @Bean
    ReserveInventory reserveInventory() {
        return new ReserveInventory();
    }

    @Bean
    ShipOrder shipOrder() {
        return new ShipOrder();
    }

    @Bean
    NotifyCustomer notifyCustomer() {
        return new NotifyCustomer();
    }

    @Bean
    RejectOrder rejectOrder() {
        return new RejectOrder();
    }

    @Bean
    Workflow orderWorkflow(ValidateOrder validate, ChargePayment charge, ReserveInventory reserve, ShipOrder ship,
            NotifyCustomer notify, RejectOrder reject, OrderProperties properties) {
        Wait cooldown = Wait.of("cooldown", properties.shipWait());
        return Workflow.builder(ORDER)
            .businessKey(BUSINESS_KEY)
            .start(validate)
            .transition(validate, ValidateOrder.VALID, charge, reserve)
            .transition(validate, ValidateOrder.INVALID, reject)
            .transition(charge, ChargePayment.PAYMENT_CONFIRMED, ship)
            .transition(reserve, ReserveInventory.RESERVED, ship)
            .transition(ship, ShipOrder.SHIPPED, cooldown)
            .transition(cooldown, Wait.TIMEOUT, notify)
            .transition(notify, NotifyCustomer.NOTIFIED, Done.step())
            .transition(reject, RejectOrder.REJECTED, Done.step())
            .tags("sample")
            .build();
    }
}
