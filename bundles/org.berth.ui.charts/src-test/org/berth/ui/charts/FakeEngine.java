package org.berth.ui.charts;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.berth.core.ContainerEngine;
import org.berth.core.ContainerSnapshot;
import org.berth.core.ContainerSpec;
import org.berth.core.ContainerState;
import org.berth.core.EngineListener;
import org.berth.core.ExecRequest;
import org.berth.core.ExecResult;
import org.berth.core.Limits;
import org.berth.core.Monitoring;
import org.berth.core.SpecValidator;
import org.berth.core.Tier;
import org.berth.core.Usage;
import org.berth.core.UsageHistory;

/** An engine with running containers and scripted histories; operations are not supported. */
final class FakeEngine implements ContainerEngine, Monitoring {

    final Map<String, ContainerSnapshot> containers = new TreeMap<>();
    final Map<String, ListHistory> histories = new TreeMap<>();
    /** What the open watch names; null when none is open. */
    volatile Set<String> watched;

    ListHistory running(String name) {
        containers.put(name, new ContainerSnapshot(ContainerSpec.builder(name).build(), ContainerState.RUNNING, 100,
                Instant.EPOCH, null, Map.of()));
        return histories.computeIfAbsent(name, ListHistory::new);
    }

    @Override
    public Optional<Monitoring> monitoring() {
        return Optional.of(this);
    }

    @Override
    public Duration interval() {
        return Duration.ofSeconds(1);
    }

    @Override
    public void setInterval(Duration interval) {
    }

    @Override
    public List<Tier> tiers() {
        return Tier.DEFAULTS;
    }

    @Override
    public Optional<UsageHistory> history(String name) {
        return Optional.ofNullable(histories.get(name));
    }

    @Override
    public Watch watch(java.util.Collection<String> names) {
        watched = Set.copyOf(names);
        return new Watch() {
            @Override
            public void set(java.util.Collection<String> newNames) {
                watched = Set.copyOf(newNames);
            }

            @Override
            public void close() {
                watched = null;
            }
        };
    }

    @Override
    public long sweeps() {
        return 0;
    }

    @Override
    public List<ContainerSnapshot> list() {
        return List.copyOf(containers.values());
    }

    @Override
    public Optional<ContainerSnapshot> get(String name) {
        return Optional.ofNullable(containers.get(name));
    }

    @Override
    public Set<String> templates() {
        return Set.of();
    }

    @Override
    public SpecValidator.ValidationContext validationContext() {
        throw new UnsupportedOperationException();
    }

    private static <T> CompletableFuture<T> unsupported() {
        return CompletableFuture.failedFuture(new UnsupportedOperationException());
    }

    @Override
    public CompletableFuture<ContainerSnapshot> define(ContainerSpec spec) {
        return unsupported();
    }

    @Override
    public CompletableFuture<ContainerSnapshot> update(ContainerSpec spec) {
        return unsupported();
    }

    @Override
    public CompletableFuture<ContainerSnapshot> start(String name) {
        return unsupported();
    }

    @Override
    public CompletableFuture<ContainerSnapshot> stop(String name, Duration timeout) {
        return unsupported();
    }

    @Override
    public CompletableFuture<ContainerSnapshot> kill(String name) {
        return unsupported();
    }

    @Override
    public CompletableFuture<ContainerSnapshot> restart(String name, Duration timeout) {
        return unsupported();
    }

    @Override
    public CompletableFuture<ContainerSnapshot> freeze(String name) {
        return unsupported();
    }

    @Override
    public CompletableFuture<ContainerSnapshot> thaw(String name) {
        return unsupported();
    }

    @Override
    public CompletableFuture<ContainerSnapshot> setLimits(String name, Limits limits) {
        return unsupported();
    }

    @Override
    public CompletableFuture<ContainerSnapshot> cloneContainer(String source, String newName) {
        return unsupported();
    }

    @Override
    public CompletableFuture<Void> destroy(String name) {
        return unsupported();
    }

    @Override
    public CompletableFuture<ExecResult> exec(String name, ExecRequest request) {
        return unsupported();
    }

    @Override
    public CompletableFuture<Usage> usage(String name) {
        return unsupported();
    }

    @Override
    public void addListener(EngineListener listener) {
    }

    @Override
    public void removeListener(EngineListener listener) {
    }
}
