/* SPDX-License-Identifier: MIT */
/*
 * Oracle "ready-after-np" (sim/world/oracle_ready.c, docs/oracles.md): the
 * registry entry and how unit tests create it on a fake view.
 */
#ifndef SIM_WORLD_ORACLE_READY_H
#define SIM_WORLD_ORACLE_READY_H

#include "sim/world_oracle.h"

struct oracle_view;

extern const struct world_oracle_ops oracle_ready_ops;

/* Create the oracle's state on @view. Return: 0, -EINVAL, -ENOMEM. */
int oracle_ready_create_view(void **state, const struct oracle_view *view);

#endif /* SIM_WORLD_ORACLE_READY_H */
