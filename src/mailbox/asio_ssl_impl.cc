// Asio's SSL layer, compiled once (the project builds Asio separately, and
// src/asio/ compiles only the parts without OpenSSL; mailbox/ is their one user).
#include <boost/asio/ssl/impl/src.hpp>
