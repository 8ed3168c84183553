/*
 * lb_bindings.h - the umbrella header jextract reads (native/jextract.sh): the shim plus the DPDK
 * headers declaring the exported functions the dataplane binds directly. jextract-symbols.txt
 * selects what of it becomes Java.
 */
#ifndef LB_BINDINGS_H
#define LB_BINDINGS_H

#define _GNU_SOURCE
#include <sched.h>

#include <rte_config.h>
#include <rte_bus_vdev.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_thread.h>

#include "lb_shim.h"

#endif /* LB_BINDINGS_H */
