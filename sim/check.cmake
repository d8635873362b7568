# sim_check: checks built on the engine and the strategies (determinism
# self-check).
if(TARGET sim_strategies)
  apfsim_sim_library(NAME sim_check SOURCES selfcheck.c DEPS sim_strategies sim_engine)
endif()
