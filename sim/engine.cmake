# Engine core: threads, scheduler, clock, timers, findings, trace ring.
list(APPEND SIM_SOURCES assert.c prng.c)
