package lb.dataplane.view;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import lb.dataplane.config.ClusterConfig;
import lb.dataplane.config.PortRule;
import lb.dataplane.config.RuleKey;

/**
 * Which table slot each port rule's entries carry (connections and sticky clients keep it in 8 bits), kept apart
 * from the rule's index: the index is the rule's place in the config's canonical order and shifts when a rule is
 * added before it; the slot is the rule's identity in the tables and stays while a rule with that key is in the
 * config, so a config change never renumbers what the tables hold.
 *
 * <pre>
 *   slot 0 .. 254   configured rules, given the lowest free slot when their key first appears
 *   slot 255        the default rule, always
 * </pre>
 *
 * A removed rule's slot is released only once its entries are flushed ({@link #free}), so a later rule never
 * inherits them. Conductor only.
 */
public final class RuleSlots {
    /** The default rule's slot. */
    public static final int DEFAULT_SLOT = 255;
    /** Slots in all, the default rule's included. */
    public static final int SLOTS = DEFAULT_SLOT + 1;

    /**
     * The slots of one config's rules.
     *
     * @param slotOfIndex the slot of each rule index (canonical order), the default rule's last.
     * @param slotByKey   the slot of each rule key.
     * @param released    slots whose rules the config no longer has: flush their entries, then {@link #free} them.
     */
    public record Plan(int[] slotOfIndex, Map<RuleKey, Integer> slotByKey, List<Integer> released) {
    }

    private final Map<RuleKey, Integer> slots = new HashMap<>();
    /** Held by a rule of the current config, or released and not yet flushed. */
    private final BitSet taken = new BitSet(SLOTS);

    /**
     * The slots of a config whose rules are numbered in canonical order from slot 0: what a fresh process gives its
     * first config, for tools and tests that build one view.
     */
    public static int[] inOrder(final ClusterConfig config) {
        final RuleSlots slots = new RuleSlots();
        final Plan plan = slots.plan(config);
        return plan.slotOfIndex();
    }

    /**
     * Slots for the rules of {@code config}: the same slot for every key already held, the lowest free slots for new
     * keys. Changes nothing until {@link #commit}.
     *
     * @throws IllegalArgumentException when the config has more rules than there are free slots.
     */
    public Plan plan(final ClusterConfig config) {
        final List<PortRule> rules = config.canonicalRules();
        final int[] slotOfIndex = new int[rules.size() + 1];
        final Map<RuleKey, Integer> next = new HashMap<>();
        final BitSet planned = (BitSet)taken.clone();
        for (int index = 0; index < rules.size(); index++) {
            final RuleKey key = rules.get(index).key();
            Integer slot = slots.get(key);
            if (slot == null) {
                slot = planned.nextClearBit(0);
                if (slot >= DEFAULT_SLOT) {
                    throw new IllegalArgumentException("no free rule slot for " + key + ": " + DEFAULT_SLOT +
                        " rules at most, including removed rules whose entries are still being flushed");
                }
                planned.set(slot);
            }
            slotOfIndex[index] = slot;
            next.put(key, slot);
        }
        slotOfIndex[rules.size()] = DEFAULT_SLOT;
        final List<Integer> released = new ArrayList<>();
        slots.forEach((key, slot) -> {
            if (!next.containsKey(key)) {
                released.add(slot);
            }
        });
        released.sort(null);
        return new Plan(slotOfIndex, Map.copyOf(next), List.copyOf(released));
    }

    /**
     * Makes a plan the current assignment (its released slots stay taken until freed).
     */
    public void commit(final Plan plan) {
        slots.clear();
        slots.putAll(plan.slotByKey());
        for (final int slot : plan.slotOfIndex()) {
            if (slot != DEFAULT_SLOT) {
                taken.set(slot);
            }
        }
    }

    /**
     * A released slot's entries are gone: it may be given to a new rule.
     *
     * @throws IllegalArgumentException when a current rule holds the slot.
     */
    public void free(final int slot) {
        if (slots.containsValue(slot)) {
            throw new IllegalArgumentException("slot " + slot + " belongs to a current rule");
        }
        taken.clear(slot);
    }
}
