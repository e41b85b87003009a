#ifndef GITOPSKIT_CGIT2_SHIM_H
#define GITOPSKIT_CGIT2_SHIM_H
#include <git2.h>

/* git_libgit2_opts is variadic; Swift can only call typed wrappers. */
static inline int gok_git_set_ssl_cert_locations(const char *file, const char *path) {
    return git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, file, path);
}
static inline int gok_git_set_owner_validation(int enabled) {
    return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, enabled);
}
#endif
