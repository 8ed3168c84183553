package lb.dataplane.api;

import lb.dataplane.api.sbe.IpVersion;
import lb.dataplane.api.sbe.RuleState;

/**
 * The per-rule and per-VIP parts of a view as lbd holds them, read by {@link DataplaneControlProxy#applyView} while
 * it encodes, so lbd's model needs no copy into a message object. Rules and VIPs are numbered from 0.
 */
public interface ViewSource {
    /**
     * @return how many port rules the view has (the default rule included).
     */
    int ruleCount();

    /**
     * @param rule 0 to {@link #ruleCount()} - 1.
     * @return the rule's index in the config's canonical rule order.
     */
    int ruleIndex(int rule);

    /**
     * @param rule 0 to {@link #ruleCount()} - 1.
     * @return what this host does with the rule's traffic.
     */
    RuleState ruleState(int rule);

    /**
     * @param rule   0 to {@link #ruleCount()} - 1.
     * @param bucket 0 to the bucket count - 1.
     * @return the host id owning the bucket, or {@link ControlProtocol#NO_HOST}.
     */
    int owner(int rule, int bucket);

    /**
     * @param rule   0 to {@link #ruleCount()} - 1.
     * @param bucket 0 to the bucket count - 1.
     * @return true when the bucket changed owner in this epoch.
     */
    boolean isDirty(int rule, int bucket);

    /**
     * @return how many VIPs this host may answer ARP/ND for in this view.
     */
    int vipCount();

    /**
     * @param vip 0 to {@link #vipCount()} - 1.
     * @return the VIP's IP version.
     */
    IpVersion vipVersion(int vip);

    /**
     * @param vip 0 to {@link #vipCount()} - 1.
     * @return the VIP's first 8 bytes (see {@link Addresses}).
     */
    long vipHigh(int vip);

    /**
     * @param vip 0 to {@link #vipCount()} - 1.
     * @return the VIP's last 8 bytes (see {@link Addresses}).
     */
    long vipLow(int vip);
}
