package io.hephaestus.core.runtime;

import io.hephaestus.core.HephaestusException;
import io.hephaestus.core.engine.Instance;

/**
 * {@link HephaestusException} thrown when a start is rejected because an active instance already
 * holds the business id in the workflow's uniqueness scope. Nothing was stored.
 *
 * @since 0.1.0
 */
public class DuplicateInstanceException extends HephaestusException {

    private static final long serialVersionUID = 1L;

    private final transient Instance existing;

    /**
     * Create an exception for the instance that holds the id.
     * @param existing the active instance
     */
    public DuplicateInstanceException(Instance existing) {
        super("an active instance with id " + existing.id() + " already exists: workflow " + existing.workflow()
                + " v" + existing.workflowVersion() + ", run " + existing.runId() + ", status "
                + existing.status().value());
        this.existing = existing;
    }

    /**
     * Return the active instance that holds the id.
     * @return the existing instance
     */
    public Instance existing() {
        return this.existing;
    }
}
