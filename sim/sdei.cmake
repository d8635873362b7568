# SDEI dispatcher (Arm DEN0054 v1.1, modelled on TF-A's behaviour).
apfsim_sim_library(NAME sim_sdei SOURCES sdei.c sdei_state.c DEPS sim_engine)
