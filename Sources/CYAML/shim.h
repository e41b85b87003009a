#ifndef GITOPSKIT_CYAML_SHIM_H
#define GITOPSKIT_CYAML_SHIM_H
#include <yaml.h>
#endif
