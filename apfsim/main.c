/* SPDX-License-Identifier: MIT */
/*
 * apfsim: campaigns of whole async-PF executions with protocol oracles,
 * replay, shrinking and trace export. docs/usage.md.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sim/world_oracle.h"

/* apfsim/fuzz_import.c */
int cli_cmd_fuzz_import(int argc, char **argv);

static const char main_usage[] =
	"usage: apfsim [COMMAND] [options]\n"
	"Test the arm64 KVM async-PF protocol halves on the deterministic simulator.\n"
	"\n"
	"commands:\n"
	"  run        run a campaign (the default: 'apfsim' alone runs the builtin \"default\")\n"
	"  replay     replay a finding from its directory or seed + schedule\n"
	"  shrink     shorten a finding's schedule, same finding class\n"
	"  export     replay a finding and write its trace (Perfetto JSON or text)\n"
	"  fuzz-import  turn a token_order fuzz input (crash file) into a finding directory\n"
	"  scenarios  list the builtin scenarios\n"
	"  show       print a scenario (builtin name or file) as JSON\n"
	"  oracles    list the protocol oracles\n"
	"\n"
	"'apfsim COMMAND --help' describes a command; docs/usage.md has a walk-through.\n"
	"Exit status: 0 clean, 1 findings (replay: reproduced), 2 usage or input error,\n"
	"3 internal or operating error.\n";

static int simple_help(const char *command, int argc, char **argv, const char *usage,
		       int min_args, int max_args)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		if (opt == 'h') {
			fputs(usage, stdout);
			return -1;
		}
		return cli_usage_error(command, "unknown option %s", argv[optind - 1]);
	}
	if (argc - optind < min_args)
		return cli_usage_error(command, "missing argument");
	if (argc - optind > max_args)
		return cli_usage_error(command, "unexpected argument \"%s\"", argv[optind + max_args]);
	return 0;
}

static int cmd_scenarios(int argc, char **argv)
{
	const char *const *names;
	int ret = simple_help("scenarios", argc, argv,
			      "usage: apfsim scenarios\nList the builtin scenarios with their descriptions.\n",
			      0, 0);

	if (ret != 0)
		return ret < 0 ? CLI_EXIT_CLEAN : ret;
	names = scenario_builtin_names();
	for (size_t i = 0; names[i] != NULL; i++) {
		struct scenario *s = calloc(1, sizeof(*s));
		char error[512] = "";

		if (s == NULL)
			return CLI_EXIT_INTERNAL;
		if (scenario_builtin(names[i], s, error, sizeof(error)) != 0) {
			printf("%-20s (does not parse: %s)\n", names[i], error);
			free(s);
			ret = CLI_EXIT_INTERNAL;
			continue;
		}
		printf("%-20s %s\n", names[i], s->description);
		free(s);
	}
	return ret;
}

static int cmd_show(int argc, char **argv)
{
	struct scenario *s;
	char error[1024] = "";
	char *json = NULL;
	int ret = simple_help("show", argc, argv,
			      "usage: apfsim show NAME|FILE\n"
			      "Print the scenario (builtin name or JSON file), validated, as canonical JSON.\n"
			      "Exit status: 0, 2 when it does not parse or validate.\n",
			      1, 1);

	if (ret != 0)
		return ret < 0 ? CLI_EXIT_CLEAN : ret;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return CLI_EXIT_INTERNAL;
	ret = scenario_resolve(argv[optind], s, error, sizeof(error));
	if (ret == 0 && world_config_check(&s->world, error, sizeof(error)) != 0)
		ret = -1;
	if (ret != 0) {
		cli_error("%s", error);
		free(s);
		return CLI_EXIT_USAGE;
	}
	ret = scenario_to_json(s, &json);
	free(s);
	if (ret != 0) {
		cli_error("scenario_to_json failed (%d)", ret);
		return CLI_EXIT_INTERNAL;
	}
	fputs(json, stdout);
	if (json[0] != '\0' && json[strlen(json) - 1] != '\n')
		fputc('\n', stdout);
	free(json);
	return CLI_EXIT_CLEAN;
}

static int cmd_oracles(int argc, char **argv)
{
	const struct world_oracle_ops *const *list;
	int ret = simple_help("oracles", argc, argv,
			      "usage: apfsim oracles\n"
			      "List the protocol oracles (bit n of a scenario's oracle_mask is entry n).\n",
			      0, 0);

	if (ret != 0)
		return ret < 0 ? CLI_EXIT_CLEAN : ret;
	list = world_oracle_list();
	for (uint32_t i = 0; list[i] != NULL; i++)
		printf("%2u  %-24s %s\n", i, list[i]->name, list[i]->summary ? list[i]->summary : "");
	if (list[0] == NULL)
		printf("(no oracles in this build)\n");
	return CLI_EXIT_CLEAN;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int argc, char **argv);
	} commands[] = {
		{ "run", cli_cmd_run },       { "replay", cli_cmd_replay },
		{ "shrink", cli_cmd_shrink }, { "export", cli_cmd_export },
		{ "scenarios", cmd_scenarios }, { "show", cmd_show },
		{ "oracles", cmd_oracles },   { "fuzz-import", cli_cmd_fuzz_import },
	};
	static char run_name[] = "run";
	char *default_argv[] = { run_name, NULL };

	if (argc < 2)
		return cli_cmd_run(1, default_argv);
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(main_usage, stdout);
		return CLI_EXIT_CLEAN;
	}
	if (argv[1][0] == '-') {
		/* "apfsim -n 10" is "apfsim run -n 10" */
		argv[0] = run_name;
		return cli_cmd_run(argc, argv);
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	return cli_usage_error(NULL, "unknown command \"%s\"", argv[1]);
}
