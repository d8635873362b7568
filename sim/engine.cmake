# Engine core: threads, scheduler, clock, timers, findings, trace ring,
# schedule container, PRNG.
apfsim_sim_library(NAME sim_engine SOURCES assert.c prng.c schedule.c engine.c timer.c trace.c)
