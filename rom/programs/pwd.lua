-- pwd: the working directory.
print(require("system.process").getcwd())
