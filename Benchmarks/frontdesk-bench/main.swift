import FrontdeskCore
print("frontdesk-bench")
