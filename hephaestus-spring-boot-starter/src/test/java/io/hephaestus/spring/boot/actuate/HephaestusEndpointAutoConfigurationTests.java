package io.hephaestus.spring.boot.actuate;

import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.InvocationContext;
import org.springframework.boot.actuate.endpoint.OperationFilter;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.invoke.ParameterValueMapper;
import org.springframework.boot.actuate.endpoint.web.EndpointMediaTypes;
import org.springframework.boot.actuate.endpoint.web.ExposableWebEndpoint;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.boot.actuate.endpoint.web.WebOperation;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpointDiscoverer;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.hephaestus.core.definition.Workflow;
import io.hephaestus.core.engine.Instance;
import io.hephaestus.core.runtime.Runner;
import io.hephaestus.spring.boot.actuate.WorkflowsEndpoint.ErrorDescriptor;
import io.hephaestus.spring.boot.actuate.WorkflowsEndpoint.InstanceDescriptor;
import io.hephaestus.spring.boot.actuate.WorkflowsEndpoint.InstanceSummaryDescriptor;
import io.hephaestus.spring.boot.actuate.WorkflowsEndpoint.ResumeDescriptor;
import io.hephaestus.spring.boot.actuate.WorkflowsEndpoint.WorkflowDetailsDescriptor;
import io.hephaestus.spring.boot.autoconfigure.HephaestusAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class HephaestusEndpointAutoConfigurationTests {

    private static final AutoConfigurations HEPHAESTUS = AutoConfigurations.of(HephaestusAutoConfiguration.class);

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(
                AutoConfigurations.of(HephaestusEndpointAutoConfiguration.class, EndpointAutoConfiguration.class))
        .withUserConfiguration(TestWorkflowsConfiguration.class)
        // SpringApplication converts enum properties leniently ("read-only" to READ_ONLY); so must the test.
        .withInitializer(
                (context) -> context.getEnvironment().setConversionService(new ApplicationConversionService()));

    @Test
    void endpointIsPresentWhenExposedOverWeb() {
        this.contextRunner.withConfiguration(HEPHAESTUS)
            .withPropertyValues("management.endpoints.web.exposure.include=workflows")
            .run((context) -> assertThat(context).hasSingleBean(WorkflowsEndpoint.class));
    }

    @Test
    void endpointIsPresentWhenExposedOverJmx() {
        this.contextRunner.withConfiguration(HEPHAESTUS)
            .withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=workflows")
            .run((context) -> assertThat(context).hasSingleBean(WorkflowsEndpoint.class));
    }

    @Test
    void endpointIsAbsentWhenNotExposed() {
        this.contextRunner.withConfiguration(HEPHAESTUS)
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(WorkflowsEndpoint.class));
    }

    @Test
    void endpointIsAbsentWhenAccessIsNone() {
        this.contextRunner.withConfiguration(HEPHAESTUS)
            .withPropertyValues("management.endpoints.web.exposure.include=workflows",
                    "management.endpoint.workflows.access=none")
            .run((context) -> assertThat(context).doesNotHaveBean(WorkflowsEndpoint.class));
    }

    @Test
    void endpointIsAbsentWithoutRunner() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=workflows")
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(WorkflowsEndpoint.class));
    }

    @Test
    void endpointIsAbsentWithoutActuator() {
        this.contextRunner.withConfiguration(HEPHAESTUS)
            .withClassLoader(new FilteredClassLoader(Endpoint.class))
            .withPropertyValues("management.endpoints.web.exposure.include=workflows")
            .run((context) -> {
                assertThat(context).hasNotFailed().hasSingleBean(Runner.class);
                assertThat(context).doesNotHaveBean(WorkflowsEndpoint.class);
            });
    }

    @Test
    void userDefinedEndpointWins() {
        this.contextRunner.withConfiguration(HEPHAESTUS)
            .withUserConfiguration(UserEndpointConfiguration.class)
            .withPropertyValues("management.endpoints.web.exposure.include=workflows")
            .run((context) -> assertThat(context).getBean(WorkflowsEndpoint.class)
                .isSameAs(context.getBean("userWorkflowsEndpoint")));
    }

    @Test
    void valuesAreMaskedByDefault() {
        this.contextRunner.withConfiguration(HEPHAESTUS)
            .withPropertyValues("management.endpoints.web.exposure.include=workflows")
            .run((context) -> assertThat(instanceAs(context, SecurityContext.NONE).context().initial())
                .containsExactly(entry("amount", WorkflowsEndpoint.MASK)));
    }

    @Test
    void showValuesAlwaysIsApplied() {
        this.contextRunner.withConfiguration(HEPHAESTUS)
            .withPropertyValues("management.endpoints.web.exposure.include=workflows",
                    "management.endpoint.workflows.show-values=always")
            .run((context) -> assertThat(instanceAs(context, SecurityContext.NONE).context().initial())
                .containsExactly(entry("amount", 42)));
    }

    @Test
    void showValuesWhenAuthorizedUsesConfiguredRoles() {
        this.contextRunner.withConfiguration(HEPHAESTUS)
            .withPropertyValues("management.endpoints.web.exposure.include=workflows",
                    "management.endpoint.workflows.show-values=when-authorized",
                    "management.endpoint.workflows.roles=admin")
            .run((context) -> {
                assertThat(context.getBean(WorkflowsEndpointProperties.class).getShowValues())
                    .isEqualTo(Show.WHEN_AUTHORIZED);
                WorkflowsEndpoint endpoint = context.getBean(WorkflowsEndpoint.class);
                Instance waiting = TestWorkflows.waitingApproval(context.getBean(Runner.class), "1");
                InstanceDescriptor asAdmin = endpoint.instance(user("admin"), "approval", waiting.id());
                InstanceDescriptor asViewer = endpoint.instance(user("viewer"), "approval", waiting.id());
                assertThat(asAdmin).isNotNull();
                assertThat(asAdmin.context().initial()).containsExactly(entry("amount", 42));
                assertThat(asViewer).isNotNull();
                assertThat(asViewer.context().initial()).containsExactly(entry("amount", WorkflowsEndpoint.MASK));
            });
    }

    @Test
    void webOperationsAreReadOnlyByDefault() {
        this.contextRunner.withConfiguration(HEPHAESTUS)
            .withUserConfiguration(WebEndpointsConfiguration.class)
            .withPropertyValues("management.endpoints.web.exposure.include=workflows")
            .run((context) -> assertThat(webOperations(context)).containsExactlyInAnyOrder("GET workflows",
                    "GET workflows/{name}", "GET workflows/{name}/{id}"));
    }

    @Test
    void webOperationsIncludeResumeAndCancelWithUnrestrictedAccess() {
        this.contextRunner.withConfiguration(HEPHAESTUS)
            .withUserConfiguration(WebEndpointsConfiguration.class)
            .withPropertyValues("management.endpoints.web.exposure.include=workflows",
                    "management.endpoint.workflows.access=unrestricted")
            .run((context) -> assertThat(webOperations(context)).containsExactlyInAnyOrder("GET workflows",
                    "GET workflows/{name}", "GET workflows/{name}/{id}", "POST workflows/{name}/{id}",
                    "DELETE workflows/{name}/{id}"));
    }

    @Test
    void webOperationsStayReadOnlyWhenMaxPermittedAccessIsReadOnly() {
        this.contextRunner.withConfiguration(HEPHAESTUS)
            .withUserConfiguration(WebEndpointsConfiguration.class)
            .withPropertyValues("management.endpoints.web.exposure.include=workflows",
                    "management.endpoint.workflows.access=unrestricted",
                    "management.endpoints.access.max-permitted=read-only")
            .run((context) -> assertThat(webOperations(context)).containsExactlyInAnyOrder("GET workflows",
                    "GET workflows/{name}", "GET workflows/{name}/{id}"));
    }

    @Test
    void webReadOperationTakesOptionalStatusAndLimitQueryParameters() {
        this.contextRunner.withConfiguration(HEPHAESTUS)
            .withUserConfiguration(WebEndpointsConfiguration.class)
            .withPropertyValues("management.endpoints.web.exposure.include=workflows")
            .run((context) -> {
                Runner runner = context.getBean(Runner.class);
                TestWorkflows.completedPing(runner, "1");
                TestWorkflows.completedPing(runner, "2");
                WebOperation workflow = webOperation(context, "GET workflows/{name}");

                Object all = workflow.invoke(new InvocationContext(SecurityContext.NONE, Map.of("name", "ping")));
                Object limited = workflow
                    .invoke(new InvocationContext(SecurityContext.NONE, Map.of("name", "ping", "limit", "1")));

                assertThat(body(all)).isInstanceOfSatisfying(WorkflowDetailsDescriptor.class,
                        (details) -> assertThat(details.instances()).hasSize(2));
                assertThat(body(limited)).isInstanceOfSatisfying(WorkflowDetailsDescriptor.class,
                        (details) -> assertThat(details.instances()).extracting(InstanceSummaryDescriptor::id)
                            .containsExactly("pingid::2"));
            });
    }

    @Test
    void webResumeOperationTakesEventAndOptionalStep() {
        this.contextRunner.withConfiguration(HEPHAESTUS)
            .withUserConfiguration(WebEndpointsConfiguration.class)
            .withPropertyValues("management.endpoints.web.exposure.include=workflows",
                    "management.endpoint.workflows.access=unrestricted")
            .run((context) -> {
                Instance waiting = TestWorkflows.waitingApproval(context.getBean(Runner.class), "1");
                WebOperation resume = webOperation(context, "POST workflows/{name}/{id}");

                Object response = resume.invoke(new InvocationContext(SecurityContext.NONE,
                        Map.of("name", "approval", "id", waiting.id(), "event", "approved")));

                assertThat(response).isInstanceOfSatisfying(WebEndpointResponse.class, (answer) -> {
                    assertThat(answer.getStatus()).isEqualTo(200);
                    assertThat(answer.getBody()).isInstanceOfSatisfying(ResumeDescriptor.class,
                            (resumed) -> assertThat(resumed.instance().id()).isEqualTo(waiting.id()));
                });
            });
    }

    @Test
    void webExtensionIsPresentWhenExposedOverWeb() {
        this.contextRunner.withConfiguration(HEPHAESTUS)
            .withPropertyValues("management.endpoints.web.exposure.include=workflows")
            .run((context) -> assertThat(context).hasSingleBean(WorkflowsEndpointWebExtension.class));
    }

    @Test
    void webExtensionIsAbsentWhenExposedOverJmxOnly() {
        this.contextRunner.withConfiguration(HEPHAESTUS)
            .withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=workflows")
            .run((context) -> {
                assertThat(context).hasSingleBean(WorkflowsEndpoint.class);
                assertThat(context).doesNotHaveBean(WorkflowsEndpointWebExtension.class);
            });
    }

    @Test
    void webReadOperationOfUnknownWorkflowAnswersNotFoundWithMessage() {
        this.contextRunner.withConfiguration(HEPHAESTUS)
            .withUserConfiguration(WebEndpointsConfiguration.class)
            .withPropertyValues("management.endpoints.web.exposure.include=workflows")
            .run((context) -> {
                Object answer = webOperation(context, "GET workflows/{name}")
                    .invoke(new InvocationContext(SecurityContext.NONE, Map.of("name", "shipping")));

                assertThat(answer).isInstanceOfSatisfying(WebEndpointResponse.class, (response) -> {
                    assertThat(response.getStatus()).isEqualTo(404);
                    assertThat(response.getBody()).isEqualTo(new ErrorDescriptor(404, "Not Found",
                            "unknown workflow 'shipping'; registered workflows: [approval, ping]"));
                });
            });
    }

    private static Object body(Object answer) {
        assertThat(answer).isInstanceOf(WebEndpointResponse.class);
        WebEndpointResponse<?> response = (WebEndpointResponse<?>) answer;
        assertThat(response.getStatus()).isEqualTo(200);
        return response.getBody();
    }

    private static InstanceDescriptor instanceAs(AssertableApplicationContext context, SecurityContext caller) {
        Instance waiting = TestWorkflows.waitingApproval(context.getBean(Runner.class), "1");
        InstanceDescriptor instance = context.getBean(WorkflowsEndpoint.class)
            .instance(caller, "approval", waiting.id());
        assertThat(instance).isNotNull();
        return instance;
    }

    private static List<String> webOperations(AssertableApplicationContext context) {
        return workflowsWebEndpoint(context).getOperations()
            .stream()
            .map((operation) -> operation.getRequestPredicate().getHttpMethod() + " "
                    + operation.getRequestPredicate().getPath())
            .toList();
    }

    private static WebOperation webOperation(AssertableApplicationContext context, String request) {
        return workflowsWebEndpoint(context).getOperations()
            .stream()
            .filter((operation) -> request.equals(operation.getRequestPredicate().getHttpMethod() + " "
                    + operation.getRequestPredicate().getPath()))
            .findFirst()
            .orElseThrow();
    }

    private static ExposableWebEndpoint workflowsWebEndpoint(AssertableApplicationContext context) {
        return context.getBean(WebEndpointsSupplier.class)
            .getEndpoints()
            .stream()
            .filter((endpoint) -> endpoint.getEndpointId().equals(EndpointId.of("workflows")))
            .findFirst()
            .orElseThrow();
    }

    private static SecurityContext user(String... roles) {
        Set<String> granted = Set.of(roles);
        return new SecurityContext() {

            @Override
            public Principal getPrincipal() {
                return () -> "alice";
            }

            @Override
            public boolean isUserInRole(String role) {
                return granted.contains(role);
            }
        };
    }

    @Configuration(proxyBeanMethods = false)
    static class TestWorkflowsConfiguration {

        @Bean
        Workflow approvalWorkflow() {
            return TestWorkflows.APPROVAL;
        }

        @Bean
        Workflow pingWorkflow() {
            return TestWorkflows.PING_V1;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserEndpointConfiguration {

        @Bean
        WorkflowsEndpoint userWorkflowsEndpoint(Runner runner) {
            return new WorkflowsEndpoint(runner, Show.ALWAYS, Set.of());
        }
    }

    /**
     * The web endpoint discovery that Boot's {@code WebEndpointAutoConfiguration} sets up in a web
     * application, with its access filter, so operations can be inspected without a server.
     */
    @Configuration(proxyBeanMethods = false)
    static class WebEndpointsConfiguration {

        @Bean
        WebEndpointDiscoverer webEndpointDiscoverer(ApplicationContext context,
                ParameterValueMapper parameterValueMapper, EndpointAccessResolver accessResolver) {
            return new WebEndpointDiscoverer(context, parameterValueMapper, EndpointMediaTypes.DEFAULT, List.of(),
                    List.of(), List.of(), List.of(), List.of(OperationFilter.byAccess(accessResolver)));
        }
    }
}
