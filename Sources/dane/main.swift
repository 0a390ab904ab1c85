print("dane")
