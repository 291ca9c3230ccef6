from experimental.http_server import HttpServer

server = None
