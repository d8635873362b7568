# Scheduling strategies (random, PCT, DFS, replay, round-robin), their
# registry, and the schedule text codec.
apfsim_sim_library(NAME sim_strategies
                   SOURCES strategy.c strategy_random.c strategy_pct.c strategy_dfs.c
                           strategy_replay.c strategy_rr.c schedule_codec.c
                   DEPS sim_engine)
