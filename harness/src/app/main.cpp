#include "railcheck/app/app.h"

int main(int argc, char** argv) { return railcheck::run_app(argc, argv); }
