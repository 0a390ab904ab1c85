import ArgumentParser
print("danegate")
