package org.maas.api.controller;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.maas.api.kubernetes.Informers;
import org.maas.api.tier.TierConfigApplied;

/**
 * The one lifecycle of the controllers a feature enables at startup: {@link #run} starts one, closes it on
 * shutdown (with the informers it reads, owned by {@link Informers}, last in first out) and resyncs it
 * whenever a new tier config is served, since every controller judges by the tier config.
 */
@ApplicationScoped
public class Controllers {

    private final Informers informers;
    private final List<Controller> running = new CopyOnWriteArrayList<>();

    Controllers(Informers informers) {
        this.informers = informers;
    }

    /** Starts {@code controller} (its informers started before, so the first resync sees them). */
    public void run(Controller controller) {
        informers.own(controller.name(), controller);
        running.add(controller);
        controller.start();
    }

    /** Runs under the tier catalog's lock: only hands work to each controller's thread. */
    void tierConfigApplied(@Observes TierConfigApplied event) {
        running.forEach(Controller::resyncNow);
    }
}
