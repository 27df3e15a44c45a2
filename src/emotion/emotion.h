// Emotional-peak detector (issue 5). Filled in by the emotion work.
#pragma once
