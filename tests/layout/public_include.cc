// Compiled as if it were a source of src/bot/ (see cmake/check_layout.cmake):
// api/api.h is src/api/'s public header, so this builds.
#include "api/api.h"
