/**
 * The replicated, durable cluster config: operators' changes ({@link lb.control.config.ConfigOp}) as a grow-only
 * set of ops folded in one deterministic order ({@link lb.control.config.ConfigFold}) over the genesis config, each
 * host's copy a pure state machine ({@link lb.control.config.ConfigReplica}) with its outputs
 * ({@link lb.control.config.ConfigOutput}), the log's bytes ({@link lb.control.config.ConfigLogCodec}) and the one
 * I/O class that keeps it on disk ({@link lb.control.config.ConfigStore}). See docs/config-replication.md.
 */
package lb.control.config;
