package io.hephaestus.core.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.hephaestus.core.definition.BusinessKey;
import io.hephaestus.core.definition.UniquenessScope;
import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.definition.WorkflowRegistry;
import io.hephaestus.core.engine.IllegalResumeException;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.engine.InstanceStateException;
import io.hephaestus.core.engine.Status;

/**
 * {@link InstanceLookup} finds the run a caller means, the way every {@link Runner} addresses
 * instances: by workflow name and either a business value ({@code 42}) or a full business id
 * ({@code orderid::42}), the newest run for reads and the active run for changes. Runner
 * implementations share it so that they resolve ids and word their errors alike.
 *
 * @since 0.1.0
 */
public final class InstanceLookup {

    private final WorkflowRegistry registry;

    private final Storage storage;

    /**
     * Create a lookup over a registry's workflows and a storage.
     * @param registry the workflows, whose business keys turn values into ids
     * @param storage where the runs are
     */
    public InstanceLookup(WorkflowRegistry registry, Storage storage) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.storage = Objects.requireNonNull(storage, "storage");
    }

    /**
     * Return the newest run of an instance.
     * @param workflowName the workflow name
     * @param id the business value or full business id
     * @return the run, or empty if there is none
     * @throws io.hephaestus.core.InvalidValueException if a business value is not acceptable
     */
    public Optional<Instance> newest(String workflowName, String id) {
        for (String candidate : idsFor(workflowName, id)) {
            List<Instance> newest = this.storage.query(InstanceQuery.all().workflow(workflowName).id(candidate).limit(1));
            if (!newest.isEmpty()) {
                return Optional.of(newest.get(0));
            }
        }
        return Optional.empty();
    }

    /**
     * Return the newest run of an instance, which must exist.
     * @param workflowName the workflow name
     * @param id the business value or full business id
     * @return the run
     * @throws InstanceNotFoundException if the workflow has no run with that id
     */
    public Instance newestOrThrow(String workflowName, String id) {
        return newest(workflowName, id).orElseThrow(() -> notFound(workflowName, id));
    }

    /**
     * Return the active (pending, running or waiting) run of an instance, for an operation that
     * changes it.
     * @param workflowName the workflow name
     * @param id the business value or full business id
     * @param operation {@code resume} or {@code cancel}, for the error message
     * @return the active run
     * @throws io.hephaestus.core.definition.UnknownWorkflowException if the workflow is not registered
     * @throws InstanceNotFoundException if the workflow has no run with that id
     * @throws IllegalResumeException if the newest run is finished and the operation is {@code resume}
     * @throws InstanceStateException if the newest run is finished and the operation is another
     */
    public Instance active(String workflowName, String id, String operation) {
        this.registry.versions(workflowName);
        for (String candidate : idsFor(workflowName, id)) {
            List<Instance> runs = this.storage.query(InstanceQuery.all().workflow(workflowName).id(candidate)
                .statuses(Status.PENDING, Status.RUNNING, Status.WAITING).limit(1));
            if (!runs.isEmpty()) {
                return runs.get(0);
            }
        }
        Instance newest = newestOrThrow(workflowName, id);
        String message = "cannot " + operation + " instance " + newest.id() + " of workflow " + workflowName
                + ": it is " + newest.status().value() + "; only pending, running or waiting instances can be "
                + (operation.equals("resume") ? "resumed" : "cancelled");
        throw operation.equals("resume") ? new IllegalResumeException(message) : new InstanceStateException(message);
    }

    /**
     * Return the business ids a caller's id may stand for: itself if it is a full id
     * ({@code key::value}), else the id of that business value under each business key the
     * workflow's versions use.
     * @param workflowName the workflow name
     * @param id the business value or full business id
     * @return the candidate ids, at least one
     * @throws io.hephaestus.core.definition.UnknownWorkflowException if the workflow is not registered
     * @throws io.hephaestus.core.InvalidValueException if a business value is not acceptable
     */
    public List<String> ids(String workflowName, String id) {
        this.registry.versions(workflowName);
        return idsFor(workflowName, id);
    }

    private List<String> idsFor(String workflowName, String id) {
        if (id.contains(BusinessKey.SEPARATOR)) {
            return List.of(id);
        }
        BusinessKey.requireValidValue(id);
        List<String> ids = new ArrayList<>(1);
        for (Workflow version : this.registry.versions(workflowName)) {
            String candidate = version.businessKey().key() + BusinessKey.SEPARATOR + id;
            if (!ids.contains(candidate)) {
                ids.add(candidate);
            }
        }
        return ids;
    }

    private InstanceNotFoundException notFound(String workflowName, String id) {
        boolean unscoped = !id.contains(BusinessKey.SEPARATOR) && this.registry.versions(workflowName).stream()
            .anyMatch((version) -> version.businessKey().scope() == UniquenessScope.NONE);
        return new InstanceNotFoundException("no instance of workflow '" + workflowName + "' has id " + id
                + (unscoped ? " (instances of workflows with uniqueness scope none are addressed by their full id,"
                        + " key::value::suffix)" : ""));
    }
}
