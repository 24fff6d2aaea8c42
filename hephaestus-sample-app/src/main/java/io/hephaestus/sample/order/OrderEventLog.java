package io.hephaestus.sample.order;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.hephaestus.core.definition.BusinessKey;
import io.hephaestus.core.telemetry.WorkflowCancel;
import io.hephaestus.core.telemetry.WorkflowException;
import io.hephaestus.core.telemetry.WorkflowStop;
import io.hephaestus.spring.boot.events.HephaestusApplicationEvent;

/**
 * Shows the starter's application event bridge: plain {@code @EventListener} methods, each typed
 * on the telemetry event it wants, write one business-level line per finished order. A real
 * application would alert on failures, or notify another system, the same way.
 *
 * <p>Listeners run on the engine's thread, so they stay short and never block; an exception they
 * throw is logged by the starter and never breaks the workflow.
 */
@Component
class OrderEventLog {

    private static final Logger logger = LoggerFactory.getLogger(OrderEventLog.class);

    @EventListener
    void onFailure(HephaestusApplicationEvent<WorkflowException> event) {
        WorkflowException failure = event.event();
        if (isOrder(failure.scope().workflow())) {
            logger.warn("Order {} failed at step {} ({}): {}", orderId(failure.scope().instanceId()),
                    failure.failedStep(), failure.kind().value(), failure.reason());
        }
    }

    @EventListener
    void onCompletion(HephaestusApplicationEvent<WorkflowStop> event) {
        WorkflowStop stop = event.event();
        if (isOrder(stop.scope().workflow())) {
            logger.info("Order {} completed in {} ms through {}", orderId(stop.scope().instanceId()),
                    TimeUnit.NANOSECONDS.toMillis(stop.duration()), stop.completedSteps());
        }
    }

    @EventListener
    void onCancel(HephaestusApplicationEvent<WorkflowCancel> event) {
        WorkflowCancel cancel = event.event();
        if (isOrder(cancel.scope().workflow())) {
            logger.info("Order {} cancelled while {} were active", orderId(cancel.scope().instanceId()),
                    cancel.activeSteps());
        }
    }

    private static boolean isOrder(String workflow) {
        return OrderWorkflowConfiguration.ORDER.equals(workflow);
    }

    private static String orderId(String instanceId) {
        return BusinessKey.valueOf(instanceId);
    }
}
