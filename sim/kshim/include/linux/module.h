/* SPDX-License-Identifier: MIT */
/*
 * STUBBED: include/linux/module.h for built-in code. The MODULE_* tags
 * compile to nothing; module_init/module_exit come from <linux/init.h>.
 */
#ifndef _LINUX_MODULE_H
#define _LINUX_MODULE_H

#include <linux/init.h>

#define MODULE_LICENSE(license)
#define MODULE_AUTHOR(author)
#define MODULE_DESCRIPTION(description)
#define MODULE_VERSION(version)
#define MODULE_ALIAS(alias)
#ifndef EXPORT_SYMBOL
#define EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_GPL(sym)
#endif
#define THIS_MODULE ((struct module *)0)

struct module;

#endif /* _LINUX_MODULE_H */
