// berth-runtime: an OCI runtime with runc's command line.  See src/runtime/cli/.
#include "runtime/cli/cli.h"

int main(int argc, char** argv) { return berth::runtime::cli::main(argc, argv); }
