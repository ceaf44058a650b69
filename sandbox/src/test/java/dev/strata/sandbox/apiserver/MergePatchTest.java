package dev.strata.sandbox.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class MergePatchTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void mergePatchFollowsRfc7386() {
    JsonNode target = json("{'a':'b','c':{'d':'e','f':'g'},'l':[1,2,3]}");
    JsonNode patch = json("{'a':'z','c':{'f':null},'l':[4]}");
    assertThat(MergePatch.mergePatch(target, patch))
        .isEqualTo(json("{'a':'z','c':{'d':'e'},'l':[4]}"));
    // the examples of RFC 7386 section 3
    assertThat(MergePatch.mergePatch(json("{'a':['b']}"), json("{'a':'c'}")))
        .isEqualTo(json("{'a':'c'}"));
    assertThat(MergePatch.mergePatch(json("['a','b']"), json("{'a':'b'}")))
        .isEqualTo(json("{'a':'b'}"));
    assertThat(MergePatch.mergePatch(json("{'e':null}"), json("{'a':1}")))
        .isEqualTo(json("{'e':null,'a':1}"));
    assertThat(MergePatch.mergePatch(json("{}"), json("{'a':{'bb':{'ccc':null}}}")))
        .isEqualTo(json("{'a':{'bb':{}}}"));
  }

  @Test
  void strategicPatchMergesKeyedListsInTheOrderGiven() {
    JsonNode pod =
        json(
            "{'spec':{'containers':[{'name':'a','image':'1'},{'name':'b','image':'1'}],"
                + "'tolerations':[{'key':'x'}]}}");
    JsonNode patch =
        json(
            "{'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'a'}],"
                + "'containers':[{'name':'b','image':'2'}],'tolerations':[{'key':'y'}]}}");
    assertThat(MergePatch.strategicMergePatch(pod, patch))
        .isEqualTo(
            json(
                "{'spec':{'containers':[{'name':'b','image':'2'},{'name':'a','image':'1'}],"
                    + "'tolerations':[{'key':'y'}]}}"));
  }

  @Test
  void strategicPatchDirectivesDeleteAndReplace() {
    JsonNode target =
        json(
            "{'metadata':{'finalizers':['a','b','c']},"
                + "'spec':{'containers':[{'name':'a'},{'name':'b'}],'m':{'x':1,'y':2}},"
                + "'data':{'k1':'v','k2':'v'}}");
    JsonNode patch =
        json(
            "{'metadata':{'$deleteFromPrimitiveList/finalizers':['b']},"
                + "'spec':{'$setElementOrder/containers':[{'name':'a'}],"
                + "'containers':[{'name':'b','$patch':'delete'}],'m':{'$patch':'replace','z':3}},"
                + "'data':{'k1':null}}");
    assertThat(MergePatch.strategicMergePatch(target, patch))
        .isEqualTo(
            json(
                "{'metadata':{'finalizers':['a','c']},"
                    + "'spec':{'containers':[{'name':'a'}],'m':{'z':3}},'data':{'k2':'v'}}"));
  }

  @Test
  void retainKeysDropsFieldsNotListed() {
    JsonNode target = json("{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}");
    JsonNode patch = json("{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}");
    assertThat(MergePatch.strategicMergePatch(target, patch))
        .isEqualTo(json("{'strategy':{'type':'Recreate'}}"));
  }
}
