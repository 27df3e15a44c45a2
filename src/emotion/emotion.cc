#include "emotion/emotion.h"
