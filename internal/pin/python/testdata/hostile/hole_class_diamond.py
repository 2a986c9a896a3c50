# expect: ok
class C0:
    pass
class C1(C0, C0):
    pass
class C2(C1, C1):
    pass
class C3(C2, C2):
    pass
class C4(C3, C3):
    pass
class C5(C4, C4):
    pass
class C6(C5, C5):
    pass
class C7(C6, C6):
    pass
class C8(C7, C7):
    pass
class C9(C8, C8):
    pass
class C10(C9, C9):
    pass
class C11(C10, C10):
    pass
class C12(C11, C11):
    pass
class C13(C12, C12):
    pass
class C14(C13, C13):
    pass
class C15(C14, C14):
    pass
class C16(C15, C15):
    pass
class C17(C16, C16):
    pass
class C18(C17, C17):
    pass
class C19(C18, C18):
    pass
class C20(C19, C19):
    pass
class C21(C20, C20):
    pass
class C22(C21, C21):
    pass
class C23(C22, C22):
    pass
class C24(C23, C23):
    pass
class C25(C24, C24):
    pass
class C26(C25, C25):
    pass
class C27(C26, C26):
    pass
class C28(C27, C27):
    pass
class C29(C28, C28):
    pass
class C30(C29, C29):
    pass
class C31(C30, C30):
    pass
class C32(C31, C31):
    pass
class C33(C32, C32):
    pass
class C34(C33, C33):
    pass
class C35(C34, C34):
    pass
class C36(C35, C35):
    pass
class C37(C36, C36):
    pass
class C38(C37, C37):
    pass
class C39(C38, C38):
    pass
class C40(C39, C39):
    pass
class C41(C40, C40):
    pass
class C42(C41, C41):
    pass
class C43(C42, C42):
    pass
class C44(C43, C43):
    pass
class C45(C44, C44):
    pass
class C46(C45, C45):
    pass
class C47(C46, C46):
    pass
class C48(C47, C47):
    pass
class C49(C48, C48):
    pass
class C50(C49, C49):
    pass
class C51(C50, C50):
    pass
class C52(C51, C51):
    pass
class C53(C52, C52):
    pass
class C54(C53, C53):
    pass
class C55(C54, C54):
    pass
class C56(C55, C55):
    pass
class C57(C56, C56):
    pass
class C58(C57, C57):
    pass
class C59(C58, C58):
    pass
class C60(C59, C59):
    pass
ok = isinstance(C60(), C0)
missing = hasattr(C60, "nothing")
